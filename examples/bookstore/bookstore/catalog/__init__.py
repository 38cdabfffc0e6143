"""The catalog context: books, their editions and prices."""
