FROM python:3.12
ENV REQUIREMENTS=requirements/prod.txt
WORKDIR /app
COPY requirements/prod.txt ./requirements/
RUN pip install -r "$REQUIREMENTS"
COPY . .
