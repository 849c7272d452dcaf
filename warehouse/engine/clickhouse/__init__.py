"""ClickHouse engine: embedded (chdb) or a server over HTTP, one database per project."""
