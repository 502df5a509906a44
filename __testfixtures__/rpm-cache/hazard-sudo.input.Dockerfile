FROM rockylinux:9
USER builder
RUN sudo dnf install -y git
