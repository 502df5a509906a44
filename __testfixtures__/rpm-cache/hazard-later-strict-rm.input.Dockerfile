FROM rockylinux:9
RUN dnf install -y git
RUN rm -r /var/cache/dnf/*
