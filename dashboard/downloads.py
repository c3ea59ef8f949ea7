"""``/uploads/<id>/file``: the original bytes of an upload, for who may see that member;
``/jobs/<id>/file``: what a background job made (a briefing book), for the user who asked."""

from __future__ import annotations

import io
import mimetypes
import re

from flask import Flask, Response, abort, send_file

from bsc.errors import NotFound
from bsc.models import JobFileRole
from bsc.services.jobs import get_job, job_file
from bsc.services.uploads import upload_file
from dashboard.auth import require_principal
from dashboard.state import read_session

__all__ = ["install_downloads", "download_name"]


def _upload_file(upload_id: int) -> Response:
    principal = require_principal()
    with read_session() as session:
        try:
            upload, content = upload_file(session, principal=principal, upload_id=upload_id)
        except NotFound:
            abort(404)
    return send_file(
        io.BytesIO(content),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=download_name(upload.filename),
    )


def _job_output(job_id: str) -> Response:
    principal = require_principal()
    with read_session() as session:
        try:
            job = get_job(session, principal=principal, job_id=job_id)
            output = job_file(session, job_id=job.id, role=JobFileRole.OUTPUT)
        except NotFound:
            abort(404)
        content, filename = output.content, output.filename
    return send_file(
        io.BytesIO(content),
        mimetype=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        as_attachment=True,
        download_name=download_name(filename),
    )


def download_name(filename: str) -> str:
    """The stored name as a plain file name: its last part only, without characters a file
    system or a header would take as structure (the name is the uploader's, so untrusted).

    >>> download_name("../../etc/passwd"), download_name("月報<1>.csv"), download_name("..")
    ('passwd', '月報_1_.csv', 'upload')
    """
    last = re.split(r"[\\/]", filename)[-1]
    cleaned = re.sub(r'[<>:"|?*\x00-\x1f\x7f]', "_", last).strip().lstrip(".")
    return cleaned or "upload"


def install_downloads(server: Flask) -> None:
    server.add_url_rule("/uploads/<int:upload_id>/file", "bsc_upload_file", _upload_file)
    server.add_url_rule("/jobs/<job_id>/file", "bsc_job_file", _job_output)
