FROM python:3.12
WORKDIR /app
# the application
COPY . .
RUN pip install flask gunicorn
CMD ["gunicorn", "app:app"]
