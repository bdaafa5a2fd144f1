"""Handing out a private file once its view has decided the viewer may have it.

On one machine the file is streamed from the private folder. With object storage (S3_BUCKET) the
web process never carries the bytes: the viewer is redirected to a signed URL that expires after
``PRIVATE_URL_SECONDS`` and fixes the name and type the browser will use. Either way the caller
checks permissions first; this module only delivers.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, TypeGuard

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseBase, HttpResponseRedirect
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from storages.backends.s3 import S3Storage


def signs_urls(storage: Storage) -> TypeGuard[S3Storage]:
    """True for object storage that hands out signed, expiring URLs (django-storages' S3)."""
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage) and bool(storage.querystring_auth)


def private_file_response(
    file: FieldFile, *, filename: str, as_attachment: bool, content_type: str | None = None
) -> HttpResponseBase:
    """The file as a download (or inline), or a redirect to its short-lived signed URL.

    ``content_type`` None: guessed from ``filename``, as FileResponse does.
    """
    storage = storages["private"]
    if signs_urls(storage):
        disposition = content_disposition_header(as_attachment, filename)
        url = storage.url(
            file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type
                or mimetypes.guess_type(filename)[0]
                or "application/octet-stream",
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.PRIVATE_URL_SECONDS,
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
    else:
        try:
            handle = file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    # Neither the file nor the signed address may be kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
