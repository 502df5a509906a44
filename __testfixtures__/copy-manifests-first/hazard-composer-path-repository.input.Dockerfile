FROM composer:2
WORKDIR /app
COPY . .
RUN composer install --no-scripts --no-autoloader
