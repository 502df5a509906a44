FROM python:3.12
RUN pip install uv && uv pip install --system flask && uv cache clean
