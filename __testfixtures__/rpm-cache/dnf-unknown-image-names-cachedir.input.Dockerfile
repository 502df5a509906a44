ARG REPO
FROM $REPO
RUN dnf -y install vim-minimal
