"""Try it in your browser (local development only): Web Chat over a built-in Direct Line endpoint."""
