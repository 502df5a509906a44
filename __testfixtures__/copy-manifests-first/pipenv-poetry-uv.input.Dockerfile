FROM python:3.12
WORKDIR /a
COPY . .
RUN pipenv install --deploy --system
RUN poetry install --no-root
RUN uv sync --frozen --no-install-project
COPY x /x
