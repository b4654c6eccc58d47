"""The project file: SQLModel tables, opening and locking, migrations, commands, queries. No Qt."""
