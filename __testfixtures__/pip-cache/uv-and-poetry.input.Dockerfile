FROM python:3.12
RUN uv pip install --system --no-cache -r requirements.txt
RUN poetry install --no-root
