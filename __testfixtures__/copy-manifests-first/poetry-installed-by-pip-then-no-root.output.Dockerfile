FROM python:3.12
WORKDIR /code
COPY pyproject.toml poetry.lock /code/
RUN pip install poetry==1.8.3
RUN poetry config virtualenvs.create false
RUN poetry install --no-root
COPY . /code/
CMD ["python", "main.py"]
