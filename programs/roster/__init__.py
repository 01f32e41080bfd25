"""Reading staff rosters: OneRoster 1.1 CSV bulk exports and a simple staff CSV.

The readers stream their files (one CSV row at a time, keeping maps of ids only) and turn
rows into `SchoolRecord` and `PersonRecord` values, naming every problem they find with
its file, row and column. `sync.sync_roster` compares the records with the district's
people and either counts what would change (a check) or writes it (an apply).
"""
