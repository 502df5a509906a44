FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle install
FROM composer:2
WORKDIR /app
COPY . .
RUN composer install --no-scripts --no-autoloader
FROM rust:1
WORKDIR /app
COPY . .
RUN cargo fetch
FROM maven:3
WORKDIR /app
COPY . .
RUN mvn -B dependency:go-offline
