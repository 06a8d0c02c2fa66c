"""Google Sheets served from local .xlsx/.xls/.csv files: catalog, search, A1 ranges, values."""
