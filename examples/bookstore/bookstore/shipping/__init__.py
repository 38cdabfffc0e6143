"""The shipping context: parcels for placed orders."""
