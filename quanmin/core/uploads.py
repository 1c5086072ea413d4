"""Files people upload (photos, certificates, evidence, attachments): private, served only by views
that check who is asking (issue 15, item 12).

`PrivateStorage` is the project's default storage. It stores every upload under a random name (the
name a browser sent is never kept, so no file name can be guessed or carry a path), and it has no
public URL: `FieldFile.url` raises, so a template or serializer that would link to /media/ fails in
the tests instead of leaking. Each app serves its files through a view of its own that checks the
object (the uploader, staff whose division covers it; 404 otherwise) and answers `file_response`.
"""

import mimetypes
import os
import re
import secrets

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

# What may be shown in the browser; anything else is downloaded.
_INLINE = {"image/jpeg", "image/png", "image/webp", "image/gif"}
_EXT = re.compile(r"^\.[a-z0-9]{1,8}$")


class NoPublicURL(AttributeError):
    """Raised by PrivateStorage.url. An AttributeError, so Django's admin file widget and read-only
    display (which test `getattr(file, "url", …)`) show the name without a link instead of failing."""


class PrivateStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        """The folder asked for, then a random name with the upload's (lower-cased, plain) extension:
        every save goes through here, a FileField's and a direct `storage.save(...)` alike."""
        folder, base = os.path.split(str(name))
        ext = os.path.splitext(base)[1].lower()
        if not _EXT.match(ext):
            ext = ""
        return super().get_available_name(os.path.join(folder, secrets.token_hex(16) + ext), max_length=max_length)

    def url(self, name):
        raise NoPublicURL("uploads have no public URL: serve them through a view that checks permission")


def file_response(field_file, *, cache: str = "private, max-age=3600") -> FileResponse:
    """The stored file of a FileField/ImageField, for a view that has checked the asker (404 if the
    field is empty or the file is gone). Images are shown inline; other files are downloaded, and the
    browser is told not to guess a type or run anything in it."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    inline = content_type in _INLINE
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline,
                            filename=os.path.basename(field_file.name))
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
