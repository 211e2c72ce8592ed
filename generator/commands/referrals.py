"""What `validate` and `pdf` share: a saved referral's problems as located `Problem`s."""

from __future__ import annotations

from collections.abc import Sequence

from generator.problems import Pointer, Problem, json_pointer
from generator.rules.submission import SubmissionProblem

# The code of a problem with the file itself (it cannot be read, or is not a referral).
FILE_CODE = "file"


def located(found: Sequence[SubmissionProblem], file: str) -> list[Problem]:
    """Each problem with a saved referral, at its place in `file` (a JSON pointer and words)."""
    return [
        Problem(
            Pointer(
                str(file),
                json_pointer(problem.path),
                problem.field_id,
                problem.section,
                problem.item,
                problem.label,
            ),
            problem.message,
            problem.check or FILE_CODE,
            problem.severity,
        )
        for problem in found
    ]
