FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip \
    python3 -m pip install --upgrade pip && pip3 install -r requirements.txt
