FROM python:3.12 AS a
FROM python:3.12
WORKDIR /app
COPY --from=a . .
RUN pip install -r requirements.txt
