FROM rockylinux:9
RUN dnf install -y git && dnf clean all
