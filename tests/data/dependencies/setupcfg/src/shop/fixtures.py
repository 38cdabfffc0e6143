import pytest  # a test helper shipped in the package
