FROM fedora:21
RUN yum install -y gcc && yum clean all
