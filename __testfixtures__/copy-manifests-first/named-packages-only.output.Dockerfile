FROM python:3.12
WORKDIR /app
RUN pip install flask gunicorn
# the application
COPY . .
CMD ["gunicorn", "app:app"]
