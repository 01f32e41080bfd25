"""Problems found in a roster: where (file, row, column) and what is wrong."""

from dataclasses import asdict, dataclass

# A broken export can have a problem on every row; the first ones are kept to show, all are
# counted.
MAX_KEPT_PROBLEMS = 1000


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None  # the line in the file, the header being line 1; None for the file
    column: str
    message: str

    def as_dict(self):
        return asdict(self)

    def __str__(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}"


class Problems:
    """Collects problems; keeps the first MAX_KEPT_PROBLEMS and counts them all."""

    def __init__(self, keep=MAX_KEPT_PROBLEMS):
        self.keep = keep
        self.kept: list[Problem] = []
        self.count = 0

    def add(self, file, row, column, message):
        self.count += 1
        if len(self.kept) < self.keep:
            self.kept.append(Problem(file, row, column, str(message)))

    def __bool__(self):
        return self.count > 0

    def __len__(self):
        return self.count

    def as_list(self):
        return [p.as_dict() for p in self.kept]
