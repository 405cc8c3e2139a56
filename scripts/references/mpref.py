import mpmath as mp
mp.mp.dps=60
def _cf(a,b,x):
    # Lentz continued fraction (DLMF 8.17.22) in 60-digit arithmetic
    tiny=mp.mpf(10)**-200; eps=mp.mpf(10)**-45
    qab=a+b; qap=a+1; qam=a-1
    c=mp.mpf(1); d=1-qab*x/qap
    if abs(d)<tiny: d=tiny
    d=1/d; h=d
    for m in range(1,10**7):
        m2=2*m
        aa=m*(b-m)*x/((qam+m2)*(a+m2))
        d=1+aa*d; d=tiny if abs(d)<tiny else d; c=1+aa/c; c=tiny if abs(c)<tiny else c; d=1/d; h*=d*c
        aa=-(a+m)*(qab+m)*x/((a+m2)*(qap+m2))
        d=1+aa*d; d=tiny if abs(d)<tiny else d; c=1+aa/c; c=tiny if abs(c)<tiny else c; d=1/d; de=d*c; h*=de
        if abs(de-1)<eps: return h
    raise RuntimeError("no convergence")
def tails(a,b,x,y=None):
    """(I_x(a,b), 1-I_x(a,b)) at 60 digits"""
    a=mp.mpf(a);b=mp.mpf(b);x=mp.mpf(x)
    y=1-x if y is None else mp.mpf(y)
    if x==0: return mp.mpf(0),mp.mpf(1)
    if y==0: return mp.mpf(1),mp.mpf(0)
    if x*(a+b+2)<=a+1:
        w=mp.exp(a*mp.log(x)+b*mp.log(y)-mp.log(a)-mp.log(mp.beta(a,b)))*_cf(a,b,x)
        return w,1-w
    w=mp.exp(b*mp.log(y)+a*mp.log(x)-mp.log(b)-mp.log(mp.beta(a,b)))*_cf(b,a,y)
    return 1-w,w
def I(a,b,x,y=None): return tails(a,b,x,y)[0]
def I_hyp(a,b,x):
    """independent check: x^a y^b/(a B) 2F1(a+b,1;a+1;x) (DLMF 8.17.8)"""
    a=mp.mpf(a);b=mp.mpf(b);x=mp.mpf(x);y=1-x
    return mp.exp(a*mp.log(x)+b*mp.log(y)-mp.log(a)-mp.log(mp.beta(a,b)))*mp.hyp2f1(a+b,1,a+1,x)
def tsf(t,df):
    t=mp.mpf(t); df=mp.mpf(df)
    if t==0: return mp.mpf(0.5)
    x=df/(df+t*t); y=t*t/(df+t*t)
    lo,up=tails(df/2,mp.mpf(0.5),x,y)
    return lo/2 if t>0 else 1-lo/2
def fsf(f,d1,d2):
    f=mp.mpf(f);d1=mp.mpf(d1);d2=mp.mpf(d2)
    if f==0: return mp.mpf(1)
    x=d2/(d2+d1*f); y=d1*f/(d2+d1*f)
    return tails(d2/2,d1/2,x,y)[0]
def _illinois(f,lo,hi):
    # f increasing on [lo,hi] with f(lo)<=0<=f(hi); Illinois-modified regula falsi + bisection fallback
    flo=f(lo); fhi=f(hi); side=0
    for it in range(1000):
        if hi-lo < mp.mpf(10)**-48*max(1,abs(lo)): break
        if it%4==3: m=(lo+hi)/2
        else: m=(lo*fhi-hi*flo)/(fhi-flo)
        if not (lo<m<hi): m=(lo+hi)/2
        fm=f(m)
        if fm==0: return m
        if fm<0:
            lo,flo=m,fm
            if side==-1: fhi/=2
            side=-1
        else:
            hi,fhi=m,fm
            if side==1: flo/=2
            side=1
    return (lo+hi)/2
def inv(a,b,p):
    """x (and y) with I_x(a,b)=p for a double p, by Illinois root finding in log x"""
    a=mp.mpf(a);b=mp.mpf(b);p=mp.mpf(p);q=1-p
    if p==0: return mp.mpf(0),mp.mpf(1)
    if q==0: return mp.mpf(1),mp.mpf(0)
    if p<=I(a,b,mp.mpf(0.5)): A,B,P,Q,flip=a,b,p,q,False
    else: A,B,P,Q,flip=b,a,q,p,True
    small=P<=Q
    def f(u):
        lo,up=tails(A,B,mp.exp(u))
        return mp.log(lo)-mp.log(P) if small else mp.log(Q)-mp.log(up)
    hi=mp.log(mp.mpf(0.5)); lo=min((mp.log(P)+mp.log(A)+mp.log(mp.beta(A,B)))/A-5, hi-1)
    while f(lo)>0: lo=lo*2-10
    u=_illinois(f,lo,hi)
    z=mp.exp(u)
    return (1-z,z) if flip else (z,1-z)
def tppf(p,df):
    p=mp.mpf(p); df=mp.mpf(df)
    if p==mp.mpf(0.5): return mp.mpf(0)
    if p>0.5: return -tppf(1-p,df)
    x,y=inv(df/2,mp.mpf(0.5),2*p)
    return -mp.sqrt(df*y/x)
if __name__=="__main__":
    import time
    for args in [(2,1e6),(3,1e6),(1e-10,1),(0.5,1e6),(40,1e6),(2,0.5)]:
        t0=time.time(); print(args, mp.nstr(tsf(*args),20), time.time()-t0)
    for args in [(2,2,1e6),(5,0.5,1e6),(100,10,1e6)]:
        t0=time.time(); print(args, mp.nstr(fsf(*args),20), time.time()-t0)
    for args in [(1e-200,3),(0.025,10),(1e-100,0.5),(0.3,1e6)]:
        t0=time.time(); print(args, mp.nstr(tppf(*args),20), time.time()-t0)
