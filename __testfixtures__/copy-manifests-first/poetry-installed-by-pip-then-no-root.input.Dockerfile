FROM python:3.12
WORKDIR /code
COPY . /code/
RUN pip install poetry==1.8.3
RUN poetry config virtualenvs.create false
RUN poetry install --no-root
CMD ["python", "main.py"]
