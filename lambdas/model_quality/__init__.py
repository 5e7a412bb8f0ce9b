"""Model quality function: ground truth joined with captured predictions, metrics thresholded and alarmed."""
