FROM python:3.12
WORKDIR /app
COPY . .
WORKDIR /app/sub
RUN pip install -r requirements.txt
