"""The simulator's routes, mounted only in development mode (`miniapp dev`): the page at `/dev`
and the build status at `/api/dev/build`. Without a project under development (the server runs
some other way) both answer 404, like any unknown path."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from miniapp.devtools.builds import DevProject
from miniapp.errors import NotFound
from miniapp.web import pages

router = APIRouter(include_in_schema=False)


def dev_project(request: Request) -> DevProject:
    project = getattr(request.app.state, "dev_project", None)
    if not isinstance(project, DevProject) or not request.app.state.settings.dev_mode:
        raise NotFound()
    return project


DevProjectDep = Annotated[DevProject, Depends(dev_project)]


@router.get("/api/dev/build")
async def build_status(
    project: DevProjectDep, after: Annotated[int, Query(ge=-1)] = -1
) -> Response:
    """The latest build: at once when its revision is not `after`, else when the next build is
    published or after about 25 seconds (the same revision again: ask again)."""
    status = await project.board.wait(after, timeout=project.long_poll_seconds)
    return JSONResponse(status.to_json(), headers={"Cache-Control": "no-store"})


@router.get("/dev")
def simulator_page(request: Request, _project: DevProjectDep) -> Response:
    """The simulator: the app in a phone-sized screen beside its console, data and storage."""
    return pages.app_page(request, "dev")
