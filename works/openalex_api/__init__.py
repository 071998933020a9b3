"""Records from the OpenAlex REST API, through pyalex, into the same importer as snapshot
files: session.py reroutes pyalex's requests (OPENALEX_API_URL) and sets its retries, fetch.py
pages through a query by cursor, sync.py runs a sync (works.ApiSync) and resumes one that was
interrupted. Nothing here runs unless `sync_openalex`, a task or beat asks."""
