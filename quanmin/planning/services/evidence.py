"""Evidence files attached to progress reports and entered figures."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from ..errors import PlanningError

MAX_BYTES = 20 * 1024 * 1024
TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".xls", ".docx", ".doc", ".csv", ".txt"}


def check(upload, *, required: bool):
    """The upload if it is acceptable; None when there is none and none is required."""
    if upload is None:
        if required:
            raise PlanningError("evidence_missing", _("Attach the evidence the figure comes from."), "evidence")
        return None
    if Path(upload.name or "").suffix.lower() not in TYPES:
        raise PlanningError("evidence_type", _("Upload a PDF, a photo (JPG, PNG), or an Excel or Word file."),
                            "evidence", status=415)
    if not upload.size or upload.size > MAX_BYTES:
        raise PlanningError("evidence_size", _("The file must hold something and be at most 20 MB."), "evidence",
                            status=413)
    return upload
