FROM rockylinux:9
RUN dnf makecache
RUN dnf -C install -y git
