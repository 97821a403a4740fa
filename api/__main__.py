"""`python -m stancegraph.api`: serve the API with settings from the environment (STANCEGRAPH_*)."""

from stancegraph.api.app import serve

serve()
