FROM opensuse/leap:15.6
RUN zypper --non-interactive install -y curl
