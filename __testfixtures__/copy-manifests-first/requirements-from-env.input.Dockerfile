FROM python:3.12
ENV REQUIREMENTS=requirements/prod.txt
WORKDIR /app
COPY . .
RUN pip install -r "$REQUIREMENTS"
