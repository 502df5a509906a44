FROM centos:7
RUN yum install -y gcc && yum clean all && rm -rf /var/cache/yum
