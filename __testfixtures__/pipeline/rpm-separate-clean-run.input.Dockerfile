FROM rockylinux:9
RUN dnf install -y git
RUN dnf clean all
