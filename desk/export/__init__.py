"""What leaves desk: the PDF report, clips and interchange formats."""
