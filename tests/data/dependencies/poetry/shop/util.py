import urllib3  # installed because requests requires it
