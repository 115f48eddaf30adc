"""Files in and out: tolerant spreadsheet reading, limits, the workbook template, atomic writes."""
