import urllib2
print "this file is Python 2"
