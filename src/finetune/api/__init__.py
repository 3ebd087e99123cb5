"""HTTP glue shared by every route: errors, body limits, auth, rate limits, ids."""
