FROM python:3.12
WORKDIR /app
COPY . .
RUN mkdir -p logs/archive
RUN pip install -r requirements.txt
