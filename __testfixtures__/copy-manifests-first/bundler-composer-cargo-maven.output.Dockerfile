FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
FROM composer:2
WORKDIR /app
COPY composer.json .
RUN composer install --no-scripts --no-autoloader
COPY . .
FROM rust:1
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
COPY src/main.rs ./src/
RUN cargo fetch
COPY . .
FROM maven:3
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY . .
