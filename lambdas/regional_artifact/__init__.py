"""Regional-artifact function: the sealed artifact of a stage in another region, copied into that region."""
