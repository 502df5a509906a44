FROM python:3.12
WORKDIR /a
COPY Pipfile Pipfile.lock pyproject.toml poetry.lock uv.lock ./
RUN pipenv install --deploy --system
RUN poetry install --no-root
RUN uv sync --frozen --no-install-project
COPY . .
COPY x /x
