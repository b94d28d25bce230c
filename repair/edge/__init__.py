"""What every front end shares: documents and files, settings, user data, decisions, one engine builder, batches."""
