"""xero."""
