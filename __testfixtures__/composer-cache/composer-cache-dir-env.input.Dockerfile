FROM php:8.3-fpm
ENV COMPOSER_CACHE_DIR=/var/cache/composer
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
COPY . /var/www
RUN composer install --no-dev --optimize-autoloader \
    && composer clear-cache
