"""What both sides share: identifiers, value types and the events between them."""
