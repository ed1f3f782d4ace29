class SeedError(Exception):
    """A seed file is wrong; the message names the file, record and field."""

    def __init__(self, file, record, problem):
        self.file, self.record, self.problem = file, record, problem
        where = f"{file}, record '{record}'" if record else file
        super().__init__(f"{where}: {problem}")
